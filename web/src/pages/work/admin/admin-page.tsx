/** Users and their roles (admins), and API tokens (everyone's own). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { Section, SelectField, TextField, termOptions } from '../components/form.tsx';
import { collator, useFormat } from '../components/format.ts';
import { Done, ErrorNote, Loading } from '../components/status.tsx';
import type { User } from '../components/types.ts';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import { useTitle } from '../../../components/status.tsx';
import '../work.css';

interface TokenInfo {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function Users() {
  const { t } = useTranslation('admin');
  const vocab = useVocab();
  const { lang, date } = useFormat();
  const users = useLoad('users', () => api<{ items: User[] }>('GET', '/users'));
  const [f, setF] = useState({ username: '', displayName: '', role: 'documenter', password: '' });
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const set = (p: Partial<typeof f>) => setF((o) => ({ ...o, ...p }));
  const sort = collator(lang);
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setDone(undefined);
    try {
      const body: Record<string, string> = { username: f.username.trim(), role: f.role, password: f.password };
      if (f.displayName.trim()) body.displayName = f.displayName.trim();
      const u = await api<User>('POST', '/users', body);
      setDone(t('users.added', { username: u.username }));
      setF({ username: '', displayName: '', role: 'documenter', password: '' });
      users.reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (u: User) => {
    setError(undefined);
    setDone(undefined);
    try {
      const r = await api<{ revoked: number }>('POST', `/users/${encodeURIComponent(u.id)}/revoke-sessions`);
      setDone(t('users.revoked', { username: u.username, n: r.revoked }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Section title={t('users.title')}>
      {users.loading ? <Loading /> : null}
      <ErrorNote error={users.error} />
      {done ? <Done>{done}</Done> : null}
      <ErrorNote error={error} />
      {users.data ? (
        <table>
          <caption className="visually-hidden">{t('users.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('users.username')}</th>
              <th scope="col">{t('users.displayName')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.state')}</th>
              <th scope="col">{t('users.since')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('users.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...users.data.items]
              .sort((a, b) => sort.compare(a.username, b.username))
              .map((u) => (
                <tr key={u.id}>
                  <td>
                    <code>{u.username}</code>
                  </td>
                  <td>{u.displayName ?? ''}</td>
                  <td>{vocab.label('user_role', u.role)}</td>
                  <td>
                    {u.disabled ? (
                      <span className="badge overdue">{t('users.disabled')}</span>
                    ) : (
                      <span className="badge ok">{t('users.active')}</span>
                    )}
                  </td>
                  <td>{date(u.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void revoke(u)}
                      aria-label={t('users.revokeFor', { username: u.username })}
                    >
                      {t('users.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : null}
      <form onSubmit={add}>
        <fieldset>
          <legend>{t('users.add')}</legend>
          <div className="row">
            <TextField
              label={t('users.username')}
              hint={t('users.usernameHint')}
              required
              value={f.username}
              onChange={(username) => set({ username })}
            />
            <TextField
              label={t('users.displayName')}
              value={f.displayName}
              onChange={(displayName) => set({ displayName })}
            />
            <SelectField
              label={t('users.role')}
              value={f.role}
              options={termOptions(vocab.terms('user_role'), (id) => vocab.label('user_role', id))}
              onChange={(role) => set({ role })}
            />
            <TextField
              label={t('users.password')}
              hint={t('users.passwordHint')}
              type="password"
              autoComplete="new-password"
              required
              value={f.password}
              onChange={(password) => set({ password })}
            />
          </div>
          <button type="submit" className="primary">
            {t('users.save')}
          </button>
        </fieldset>
      </form>
      <p className="hint">{t('users.roles')}</p>
    </Section>
  );
}

function Tokens() {
  const { t } = useTranslation('admin');
  const { date } = useFormat();
  const tokens = useLoad('tokens', () => api<{ items: TokenInfo[] }>('GET', '/auth/tokens'));
  const [name, setName] = useState('');
  const [made, setMade] = useState<string>();
  const [error, setError] = useState<unknown>();
  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const r = await api<TokenInfo & { token: string }>('POST', '/auth/tokens', { name: name.trim() });
      setMade(r.token);
      setName('');
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (tk: TokenInfo) => {
    setError(undefined);
    try {
      await api('DELETE', `/auth/tokens/${encodeURIComponent(tk.id)}`);
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Section title={t('tokens.title')}>
      <p className="hint">{t('tokens.lead')}</p>
      {tokens.loading ? <Loading /> : null}
      <ErrorNote error={tokens.error ?? error} />
      {made ? (
        <div className="notice ok" role="status">
          <p>{t('tokens.once')}</p>
          <p className="token-once">
            <code>{made}</code>
          </p>
          <button type="button" onClick={() => setMade(undefined)}>
            {t('tokens.copied')}
          </button>
        </div>
      ) : null}
      {tokens.data && tokens.data.items.length === 0 ? <p className="muted">{t('tokens.none')}</p> : null}
      {tokens.data && tokens.data.items.length > 0 ? (
        <table>
          <caption className="visually-hidden">{t('tokens.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tokens.name')}</th>
              <th scope="col">{t('tokens.prefix')}</th>
              <th scope="col">{t('tokens.created')}</th>
              <th scope="col">{t('tokens.lastUsed')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('users.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((tk) => (
              <tr key={tk.id}>
                <td>{tk.name}</td>
                <td>
                  <code>{tk.prefix}…</code>
                </td>
                <td>{date(tk.createdAt)}</td>
                <td>{tk.lastUsedAt ? date(tk.lastUsedAt) : t('tokens.never')}</td>
                <td>
                  {tk.revokedAt ? (
                    <span className="muted">{t('tokens.revokedOn', { date: date(tk.revokedAt) })}</span>
                  ) : (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => void revoke(tk)}
                      aria-label={t('tokens.revokeFor', { name: tk.name })}
                    >
                      {t('tokens.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form onSubmit={create} className="inline-form">
        <TextField
          label={t('tokens.newName')}
          required
          value={name}
          onChange={setName}
          placeholder={t('tokens.newNameHint')}
        />
        <button type="submit" className="primary" disabled={!name.trim()}>
          {t('tokens.make')}
        </button>
      </form>
    </Section>
  );
}

export default function AdminPage() {
  const { t } = useTranslation('admin');
  const { user } = useSession();
  useTitle(t('title'));
  return (
    <div className="work-page admin">
      <h1>{t('title')}</h1>
      {user?.role === 'admin' ? <Users /> : null}
      <Tokens />
    </div>
  );
}
