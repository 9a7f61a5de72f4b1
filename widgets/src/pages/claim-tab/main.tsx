import { bootWidget } from '../../shell/boot.js';
import { ClaimTabPage } from './claim-tab-page.js';

bootWidget(ClaimTabPage);
