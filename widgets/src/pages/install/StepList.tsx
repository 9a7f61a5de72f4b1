import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import { CircularProgress, List, ListItem, ListItemIcon, ListItemText } from '@mui/material';
import type { InstallStep } from './install-progress.types.js';
import { stepLabelKey, type installText } from './messages.js';

function StepIcon({ status }: { status: InstallStep['status'] }) {
  if (status === 'done' || status === 'skipped') return <CheckCircleIcon color="success" fontSize="small" />;
  if (status === 'failed') return <ErrorIcon color="error" fontSize="small" />;
  if (status === 'running') return <CircularProgress size={18} thickness={5} />;
  return <RadioButtonUncheckedIcon color="disabled" fontSize="small" />;
}

export function StepList({ steps, t }: { steps: InstallStep[]; t: ReturnType<typeof installText> }) {
  return (
    <List dense disablePadding>
      {steps.map((s) => (
        <ListItem key={s.key} disableGutters data-step={s.key} data-status={s.status}>
          <ListItemIcon sx={{ minWidth: 32 }}>
            <StepIcon status={s.status} />
          </ListItemIcon>
          <ListItemText
            primary={t(stepLabelKey(s.key))}
            secondary={s.total ? t('step.count', { done: s.done, total: s.total }) : s.status === 'done' ? t('step.nothing') : undefined}
          />
        </ListItem>
      ))}
    </List>
  );
}
