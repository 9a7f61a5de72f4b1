import { bootWidget } from '../../shell/boot.js';
import { CompanyTabPage } from './company-tab-page.js';

bootWidget(CompanyTabPage);
