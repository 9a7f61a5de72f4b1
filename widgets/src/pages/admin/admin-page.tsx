import { Alert, Autocomplete, Box, Button, Chip, Link, Snackbar, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { AdminSettings, Employee, PersonRef } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/async-view.js';
import { CardHeader } from '../../components/card-header.js';
import { ErrorState } from '../../components/error-state.js';
import { FieldList } from '../../components/field-list.js';
import { Section } from '../../components/section.js';
import { useFrameTitle } from '../../components/use-frame-title.js';
import { WidgetFrame } from '../../components/widget-frame.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFrame } from '../../shell/frame.js';
import { useWidget } from '../../shell/widget-context.js';

/** The app's own page for portal administrators: installation status, who the service engineers are, links. */
export function AdminPage() {
  const { t } = useI18n();
  const state = useApi<AdminSettings>('/admin/settings');
  useFrameTitle(t('admin.title'));
  return <WidgetFrame><AsyncView state={state}>{(s) => <AdminView settings={s} />}</AsyncView></WidgetFrame>;
}

function AdminView({ settings }: { settings: AdminSettings }) {
  const { t, dateTime } = useI18n();
  const { openPath } = useFrame();
  const { installer, portal } = settings;
  return (
    <>
      <CardHeader title={t('admin.title')} subtitle={portal.domain} chip={<Chip size="small" color={installer.upToDate ? 'success' : 'warning'} label={installer.upToDate ? t('admin.upToDate') : t('admin.outdated')} />} />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 1.5, alignItems: 'start' }}>
        <Section title={t('admin.portal')}>
          <FieldList
            items={[
              { label: t('admin.domain'), value: portal.domain },
              { label: 'member_id', value: <code>{portal.memberId}</code> },
              { label: t('admin.appVersion'), value: portal.appVersion ?? null },
              { label: t('admin.installedAt'), value: portal.installedAt ? dateTime(portal.installedAt) : null },
              { label: t('admin.installFinished'), value: portal.installFinished ? t('common.yes') : t('common.no') },
            ]}
          />
        </Section>
        <ServiceUsers initial={settings.roles.serviceUsers} />
      </Box>
      <Section title={t('admin.installer')} dense testId="installer-status">
        <Box sx={{ px: 2, pb: 1 }}>
          <Alert severity={installer.upToDate ? 'success' : 'warning'}>
            {t('admin.manifest', { installed: installer.installedVersion ?? '—', current: installer.manifestVersion })} — {installer.upToDate ? t('admin.upToDate') : t('admin.outdated')}
          </Alert>
        </Box>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{t('admin.smartProcess')}</TableCell>
              <TableCell>entityTypeId</TableCell>
              <TableCell />
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {installer.smartProcesses.map((sp) => (
              <TableRow key={sp.key} hover>
                <TableCell>{sp.title}</TableCell>
                <TableCell>{sp.installed ? sp.entityTypeId : <Chip size="small" color="warning" label={t('admin.notInstalled')} />}</TableCell>
                <TableCell sx={{ color: 'text.secondary' }}>
                  {t('admin.fields', { n: sp.fields, total: sp.fieldsExpected })}
                  {sp.stagesExpected ? ` · ${t('admin.stages', { n: sp.stages, total: sp.stagesExpected })}` : ''}
                </TableCell>
                <TableCell align="right">
                  {sp.listPath && (
                    <Link component="button" underline="hover" onClick={() => openPath(sp.listPath!)}>
                      {t('admin.openList')}
                    </Link>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {installer.lastRun && (
          <Box sx={{ px: 2, py: 1 }} data-testid="installer-last-run">
            <Typography variant="caption" color="text.secondary">
              {t('admin.lastRun', { status: t(`admin.run.${installer.lastRun.status}`), date: dateTime(installer.lastRun.finishedAt ?? installer.lastRun.startedAt) })}
            </Typography>
            {installer.lastRun.errors.map((e) => (
              <Alert key={`${e.step}:${e.message}`} severity="error" sx={{ mt: 0.5 }}>
                {e.step}: {e.message}
              </Alert>
            ))}
          </Box>
        )}
      </Section>
    </>
  );
}

function ServiceUsers({ initial }: { initial: PersonRef[] }) {
  const { t } = useI18n();
  const { api } = useWidget();
  const { selectUsers } = useFrame();
  const [users, setUsers] = useState<PersonRef[]>(initial);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<Employee[]>([]);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      api
        .get<{ items: Employee[] }>('/admin/employees', { params: { q } })
        .then((res) => !cancelled && setOptions(res.data.items))
        .catch(() => !cancelled && setOptions([]));
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, q]);

  async function save(next: PersonRef[]) {
    setError(null);
    try {
      const res = await api.put<{ roles: AdminSettings['roles'] }>('/admin/settings/roles', { serviceUserIds: next.map((u) => u.id) });
      setUsers(res.data.roles.serviceUsers);
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  }
  const add = (picked: PersonRef[]) => void save([...users, ...picked.filter((p) => !users.some((u) => u.id === p.id))]);

  return (
    <Section title={t('admin.serviceUsers')} testId="service-users">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {t('admin.serviceHint')}
      </Typography>
      {error ? <ErrorState error={error} /> : null}
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75, mb: 1.5 }}>
        {users.length === 0 && <Typography color="text.secondary">{t('admin.noService')}</Typography>}
        {users.map((u) => (
          <Chip key={u.id} label={u.name} onDelete={() => void save(users.filter((x) => x.id !== u.id))} data-testid="service-user" />
        ))}
      </Box>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
        <Autocomplete
          sx={{ flex: 1 }}
          size="small"
          options={options.filter((o) => !users.some((u) => u.id === o.id))}
          getOptionLabel={(o) => (o.position ? `${o.name} — ${o.position}` : o.name)}
          filterOptions={(x) => x}
          onInputChange={(_e, value) => setQ(value)}
          onChange={(_e, value) => value && add([value])}
          value={null}
          renderInput={(params) => <TextField {...params} label={t('admin.searchEmployee')} />}
        />
        {selectUsers && (
          <Button variant="outlined" onClick={() => void selectUsers().then((picked) => picked.length && add(picked))}>
            {t('admin.addFromPortal')}
          </Button>
        )}
      </Box>
      <Snackbar open={saved} autoHideDuration={2000} onClose={() => setSaved(false)} message={t('common.saved')} anchorOrigin={{ vertical: 'top', horizontal: 'right' }} />
    </Section>
  );
}
