import { bootWidget } from '../../../shell/boot.js';
import { ShopPreview } from './shop-preview.js';

bootWidget(ShopPreview);
