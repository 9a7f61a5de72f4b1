import { Avatar, Box, Button, Typography } from '@mui/material';
import ChatOutlinedIcon from '@mui/icons-material/ChatOutlined';
import type { PersonRef } from '../../../api/types.js';
import { Section } from '../../../components/section.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useFrame } from '../../../shell/frame.js';

/** The dealer's personal manager with a button that opens the portal's chat with them. */
export function ManagerCard({ manager }: { manager: PersonRef | null }) {
  const { t } = useI18n();
  const { openChat } = useFrame();
  return (
    <Section title={t('cabinet.yourManager')} testId="cabinet-manager">
      {manager ? (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
          <Avatar sx={{ bgcolor: 'primary.main', width: 44, height: 44 }}>{manager.name.slice(0, 1)}</Avatar>
          <Box sx={{ flex: 1, minWidth: 0 }}>
            <Typography sx={{ fontWeight: 600 }} data-testid="manager-name">
              {manager.name}
            </Typography>
            <Typography variant="caption" color="text.secondary">
              {t('cab.home.managerHint')}
            </Typography>
          </Box>
          <Button size="small" variant="outlined" startIcon={<ChatOutlinedIcon />} onClick={() => openChat(manager.id)} data-testid="manager-chat">
            {t('cab.home.chat')}
          </Button>
        </Box>
      ) : (
        <Typography color="text.secondary">{t('cabinet.noManager')}</Typography>
      )}
    </Section>
  );
}
