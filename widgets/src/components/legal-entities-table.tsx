import { Chip, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import type { LegalEntity } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { EmptyState } from './empty-state.js';

export function LegalEntitiesTable({ entities, showErp = true }: { entities: LegalEntity[]; showErp?: boolean }) {
  const { t } = useI18n();
  if (entities.length === 0) return <EmptyState title={t('dealer.noLegalEntities')} />;
  return (
    <Table size="small" data-testid="legal-entities">
      <TableHead>
        <TableRow>
          <TableCell>{t('dealer.legalEntity')}</TableCell>
          <TableCell>{t('dealer.inn')}</TableCell>
          <TableCell>{t('dealer.kpp')}</TableCell>
          {showErp && <TableCell>{t('dealer.erpCustomer')}</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {entities.map((e) => (
          <TableRow key={e.id} hover>
            <TableCell>
              {e.name} {e.isMain && <Chip size="small" variant="outlined" label={t('dealer.main')} sx={{ ml: 0.5, height: 18, fontSize: 11 }} />}
            </TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>{e.inn ?? '—'}</TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>{e.kpp ?? '—'}</TableCell>
            {showErp && <TableCell sx={{ fontFamily: 'monospace' }}>{e.erpCustomerId ?? '—'}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
