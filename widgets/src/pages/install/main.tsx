import { bootWidget } from '../../shell/boot.js';
import { InstallPage } from './InstallPage.js';

bootWidget(InstallPage);
