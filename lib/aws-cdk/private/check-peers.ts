// Runs first when nhi-constructs/lib/aws-cdk is imported: names the missing peers to install.
import { requirePeers } from '../../core/private/peers';

requirePeers('nhi-constructs/lib/aws-cdk', ['constructs', 'aws-cdk-lib']);
