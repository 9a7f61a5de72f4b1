import { bootWidget } from '../../shell/boot.js';
import { DealerTabPage } from './dealer-tab-page.js';

bootWidget(DealerTabPage);
