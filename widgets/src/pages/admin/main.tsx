import { bootWidget } from '../../shell/boot.js';
import { AdminPage } from './admin-page.js';

bootWidget(AdminPage);
