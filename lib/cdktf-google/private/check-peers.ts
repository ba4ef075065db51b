// Runs first when nhi-constructs/lib/cdktf-google is imported: names the missing peers to install.
import { requirePeers } from '../../core/private/peers';

requirePeers('nhi-constructs/lib/cdktf-google', ['constructs', 'cdktf', '@cdktf/provider-google', '@cdktf/provider-time']);
