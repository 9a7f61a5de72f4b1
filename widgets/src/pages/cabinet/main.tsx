import { bootWidget } from '../../shell/boot.js';
import { CabinetPage } from './cabinet-page.js';

// Room for the search list, product card and breakdown dialogs even over a short cart.
bootWidget(CabinetPage, { minHeight: 760 });
