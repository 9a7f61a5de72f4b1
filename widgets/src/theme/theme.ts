import { createTheme } from '@mui/material/styles';

/**
 * A Bitrix24-like look so our tabs sit naturally inside CRM cards: the portal's light blue accent, its green for
 * success, compact density for professionals who scan long tables. Customizations grouped by component.
 */
export const theme = createTheme({
  palette: {
    primary: { main: '#2fc6f6', dark: '#11a9d9', contrastText: '#ffffff' },
    secondary: { main: '#525c69' },
    success: { main: '#9dcf00', contrastText: '#333333' },
    warning: { main: '#ffa900' },
    error: { main: '#ff5752' },
    background: { default: '#eef2f4', paper: '#ffffff' },
    text: { primary: '#333333', secondary: '#828b95' },
  },
  shape: { borderRadius: 6 },
  typography: {
    fontFamily: '"Open Sans", "Helvetica Neue", Helvetica, Arial, sans-serif',
    fontSize: 13,
    h1: { fontSize: 22, fontWeight: 600 },
    h2: { fontSize: 18, fontWeight: 600 },
    h3: { fontSize: 15, fontWeight: 600 },
    button: { textTransform: 'none', fontWeight: 600 },
  },
  components: {
    MuiButton: { defaultProps: { disableElevation: true, size: 'small' } },
    MuiTextField: { defaultProps: { size: 'small' } },
    MuiTable: { defaultProps: { size: 'small' } },
    MuiPaper: { defaultProps: { elevation: 0 }, styleOverrides: { root: { border: '1px solid #e0e6ec' } } },
    MuiTableCell: { styleOverrides: { head: { color: '#828b95', fontWeight: 600, whiteSpace: 'nowrap' } } },
    // In a tall frame dialogs open near the last click (shell/dialog-anchor.ts sets the variables), else centred.
    MuiDialog: {
      styleOverrides: {
        container: { alignItems: 'var(--dh-dialog-align, center)' },
        // The dialog never runs past the frame's end, whatever its top.
        paper: { marginTop: 'var(--dh-dialog-top, 32px)', maxHeight: 'calc(100% - var(--dh-dialog-top, 32px) - 32px)' },
      },
    },
  },
});
