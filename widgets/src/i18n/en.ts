import type { Messages } from './ru.js';

export const en: Messages = {
  'app.name': 'DealerHub',
  'common.loading': 'Loading…',
  'common.retry': 'Retry',
  'common.empty': 'Nothing here yet',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.search': 'Search',
  'common.total': 'Total',
  'error.title': 'Could not load the data',
  'error.session': 'The session has expired. Open the tab again.',
  'error.forbidden': 'You do not have permission for this action.',
  'error.network': 'DealerHub cannot be reached. Check the connection and retry.',
  'error.unexpected': 'Something went wrong. The error has been logged.',
};
