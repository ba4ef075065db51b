// Runs first when nhi-constructs/lib/cdktf-aws is imported: names the missing peers to install.
import { requirePeers } from '../../core/private/peers';

requirePeers('nhi-constructs/lib/cdktf-aws', ['constructs', 'cdktf', '@cdktf/provider-aws', '@cdktf/provider-time']);
