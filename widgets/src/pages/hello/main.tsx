import { Typography } from '@mui/material';
import { bootWidget } from '../../shell/boot.js';
import { useWidget } from '../../shell/widget-context.js';

function Hello() {
  const { boot } = useWidget();
  return <Typography sx={{ p: 2 }}>DealerHub · {boot.widget}</Typography>;
}

bootWidget(Hello);
