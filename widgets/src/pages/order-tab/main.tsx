import { bootWidget } from '../../shell/boot.js';
import { OrderTabPage } from './order-tab-page.js';

bootWidget(OrderTabPage);
