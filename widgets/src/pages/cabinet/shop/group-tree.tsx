import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { Box, List, ListItemButton, ListItemText, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import type { GroupNode } from './shop-types.js';

/** The path of group ids from the root down to `id` (to keep the chosen group's branch open). */
export function pathTo(groups: GroupNode[], id: number | null): number[] {
  if (id === null) return [];
  for (const g of groups) {
    if (g.id === id) return [g.id];
    const below = pathTo(g.children, id);
    if (below.length) return [g.id, ...below];
  }
  return [];
}

/** The catalog's groups with the number of goods on sale in each; empty groups are left out. */
export function GroupTree({ groups, selected, onSelect, total }: { groups: GroupNode[]; selected: number | null; onSelect(id: number | null): void; total: number }) {
  const { t, number } = useI18n();
  const [open, setOpen] = useState<Set<number>>(() => new Set(pathTo(groups, selected)));
  useEffect(() => setOpen((o) => new Set([...o, ...pathTo(groups, selected)])), [groups, selected]);
  const toggle = (id: number) => setOpen((o) => {
    const n = new Set(o);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });
  const render = (nodes: GroupNode[], depth: number) =>
    nodes
      .filter((g) => g.productCount > 0)
      .map((g) => {
        const hasChildren = g.children.some((c) => c.productCount > 0);
        const isOpen = open.has(g.id);
        return (
          <Box key={g.id}>
            <ListItemButton
              dense
              selected={selected === g.id}
              onClick={() => {
                onSelect(g.id);
                if (hasChildren && !isOpen) toggle(g.id);
              }}
              sx={{ pl: 0.5 + depth * 1.5, py: 0.25 }}
              data-testid="group-item"
            >
              <Box component="span" sx={{ width: 20, display: 'inline-flex' }} onClick={(e) => { if (hasChildren) { e.stopPropagation(); toggle(g.id); } }}>
                {hasChildren && (isOpen ? <ExpandMoreIcon fontSize="small" /> : <ChevronRightIcon fontSize="small" />)}
              </Box>
              <ListItemText primary={g.name} slotProps={{ primary: { variant: 'body2', noWrap: true, title: g.name } }} />
              <Typography variant="caption" color="text.secondary" sx={{ ml: 1 }}>{number(g.productCount)}</Typography>
            </ListItemButton>
            {hasChildren && isOpen && render(g.children, depth + 1)}
          </Box>
        );
      });
  return (
    <List dense disablePadding data-testid="group-tree">
      <ListItemButton dense selected={selected === null} onClick={() => onSelect(null)} sx={{ pl: 0.5, py: 0.25 }}>
        <Box component="span" sx={{ width: 20 }} />
        <ListItemText primary={t('shop.catalog.allGroups')} slotProps={{ primary: { variant: 'body2', sx: { fontWeight: 600 } } }} />
        <Typography variant="caption" color="text.secondary">{number(total)}</Typography>
      </ListItemButton>
      {render(groups, 0)}
    </List>
  );
}
