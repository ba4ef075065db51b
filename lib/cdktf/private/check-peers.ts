// Runs first when nhi-constructs/lib/cdktf is imported: names the missing peers to install.
import { requirePeers } from '../../core/private/peers';

requirePeers('nhi-constructs/lib/cdktf', ['constructs', 'cdktf', '@cdktf/provider-time']);
