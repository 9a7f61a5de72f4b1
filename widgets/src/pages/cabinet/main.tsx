import { bootWidget } from '../../shell/boot.js';
import { CabinetPage } from './cabinet-page.js';

bootWidget(CabinetPage);
