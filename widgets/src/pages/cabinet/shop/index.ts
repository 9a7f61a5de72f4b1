import { Box } from '@mui/material';
import { createElement, type FunctionComponent } from 'react';

/**
 * Placeholder of the shopping screens (catalog, cart, search box, cart badge) so the shell compiles on its own
 * branch; the real module of the shop screens replaces this file on merge.
 */
function placeholder(name: string): FunctionComponent {
  const Component: FunctionComponent = () => createElement(Box, { id: `shop-${name}`, sx: { p: 1, color: 'text.secondary', border: '1px dashed', borderColor: 'divider', borderRadius: 1, fontSize: 12 } }, '…');
  Component.displayName = name;
  return Component;
}

export const CatalogScreen = placeholder('CatalogScreen');
export const CartScreen = placeholder('CartScreen');
export const CabinetSearchBox = placeholder('CabinetSearchBox');
export const CartBadge = placeholder('CartBadge');
