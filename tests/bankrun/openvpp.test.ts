// The bankrun compatibility suite against @openvpp/runtime/bankrun.
import * as bankrun from '@openvpp/runtime/bankrun';

import { bankrunSuite } from './suite';

bankrunSuite('@openvpp/runtime/bankrun', () => bankrun);
