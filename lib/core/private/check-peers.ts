// Runs first when nhi-constructs/lib/core is imported: names the missing peers to install.
import { requirePeers } from './peers';

requirePeers('nhi-constructs/lib/core', ['constructs']);
