import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Alert, Box, Button, Paper, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useRef, useState } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import type { QuickOrderReport } from './shop-types.js';
import { useCartAction } from './use-shop-api.js';

const FILE_TYPES = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Quick order: pasted "SKU qty" lines or an uploaded CSV / XLSX go to the cart in one step; the report lists every
 * line that could not be used and why, and how many were added.
 */
export function QuickOrderPanel() {
  const { t } = useI18n();
  const { go } = useCabinet();
  const { run, busy, error } = useCartAction();
  const [text, setText] = useState('');
  const [report, setReport] = useState<QuickOrderReport | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const paste = async () => {
    const r = await run<QuickOrderReport>((api, params) => api.post('/cart/quick-order', { text }, { params }));
    if (r) {
      setReport(r);
      if (r.summary.rejected === 0) setText('');
    }
  };
  const upload = async (file: File) => {
    const r = await run<QuickOrderReport>((api, params) =>
      api.post('/cart/quick-order/file', file, { params: { ...params, fileName: file.name }, headers: { 'Content-Type': file.type || 'application/octet-stream' } }),
    );
    if (r) setReport(r);
    if (fileInput.current) fileInput.current.value = '';
  };
  return (
    <Box data-testid="quick-order">
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 300px' }, gap: 1.5, alignItems: 'start' }}>
        <Paper sx={{ p: 1.5 }}>
          <Typography variant="subtitle2" sx={{ mb: 0.5 }}>{t('shop.quick.pasteTitle')}</Typography>
          <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mb: 1 }}>{t('shop.quick.pasteHint')}</Typography>
          <TextField multiline minRows={8} maxRows={20} fullWidth value={text} onChange={(e) => setText(e.target.value)} placeholder={'ST-48 3\nPMP-2540; 2 уп\n4607001234567\t10'} slotProps={{ htmlInput: { 'data-testid': 'quick-text', spellCheck: false, style: { fontFamily: 'monospace', fontSize: 13 } } }} />
          <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
            <Button variant="contained" onClick={() => void paste()} disabled={busy || !text.trim()} data-testid="quick-submit">{t('shop.quick.addToCart')}</Button>
            {text && <Button onClick={() => setText('')}>{t('shop.quick.clearText')}</Button>}
          </Box>
        </Paper>
        <Paper sx={{ p: 1.5 }}>
          <Typography variant="subtitle2" sx={{ mb: 0.5 }}>{t('shop.quick.fileTitle')}</Typography>
          <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mb: 1 }}>{t('shop.quick.fileHint')}</Typography>
          <input ref={fileInput} type="file" accept={FILE_TYPES} hidden data-testid="quick-file" onChange={(e) => { const f = e.target.files?.[0]; if (f) void upload(f); }} />
          <Button variant="outlined" startIcon={<UploadFileIcon />} onClick={() => fileInput.current?.click()} disabled={busy} fullWidth>{t('shop.quick.chooseFile')}</Button>
        </Paper>
      </Box>
      {error && <Alert severity="error" sx={{ mt: 1.5 }} data-testid="quick-error">{error}</Alert>}
      {report && <QuickOrderReportView report={report} onCart={() => go('cart')} />}
    </Box>
  );
}

function QuickOrderReportView({ report, onCart }: { report: QuickOrderReport; onCart(): void }) {
  const { t, lang } = useI18n();
  const { accepted, rejected } = report.summary;
  return (
    <Paper sx={{ mt: 1.5, p: 1.5 }} data-testid="quick-report">
      <Alert
        severity={rejected === 0 ? 'success' : accepted === 0 ? 'error' : 'warning'}
        action={accepted > 0 ? <Button size="small" onClick={onCart}>{t('shop.quick.openCart')}</Button> : undefined}
        sx={{ mb: rejected ? 1 : 0 }}
      >
        <span data-testid="quick-summary">{t('shop.quick.summary', { accepted, rejected, lines: report.summary.lines })}</span>
        {report.headerSkipped && <Typography variant="caption" sx={{ display: 'block' }}>{t('shop.quick.headerSkipped')}</Typography>}
      </Alert>
      {rejected > 0 && (
        <>
          <Typography variant="subtitle2" sx={{ mb: 0.5 }}>{t('shop.quick.rejectedTitle')}</Typography>
          <Table size="small" data-testid="quick-rejected">
            <TableHead>
              <TableRow>
                <TableCell sx={{ width: 80 }}>{t('shop.quick.lineNo')}</TableCell>
                <TableCell>{t('shop.quick.lineText')}</TableCell>
                <TableCell>{t('shop.quick.reason')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {report.rejected.map((r) => (
                <TableRow key={`${r.lineNo}-${r.code}`} data-testid="quick-rejected-line">
                  <TableCell>{r.lineNo}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace', fontSize: 12 }}>{r.raw || '—'}</TableCell>
                  <TableCell sx={{ color: 'error.main' }}>{r.message[lang]}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </Paper>
  );
}
