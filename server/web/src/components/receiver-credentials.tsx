/**
 * A receiver's token, shown this once (the server keeps only its hash), with the command that
 * starts the agent on the receiver. Closing it is final: a lost token means issuing a new one.
 */
import { useT } from '../i18n/index.js';
import { agentCommand, usesTls, type AgentSetup } from '../lib/receiver-setup.js';
import { useApi } from '../lib/use-api.js';
import { CopyButton } from './receiver-copy.js';
import { ReceiverErrorNotice } from './receiver-error.js';

interface Props {
  readonly device: { readonly id: string; readonly name: string; readonly token: string };
  /** `created` for a new receiver, `rotated` for a new token of an existing one. */
  readonly reason: 'created' | 'rotated';
  readonly onDone: () => void;
}

export function ReceiverCredentials({ device, reason, onDone }: Props) {
  const t = useT();
  const setup = useApi<AgentSetup>('/api/devices/agent-setup');
  const command = setup.data ? agentCommand(setup.data, device, t('receivers.setup.brokerUnknown')) : null;
  return (
    <section class="card receiver-credentials" data-testid="receiver-credentials" aria-labelledby="receiver-credentials-title">
      <h2 id="receiver-credentials-title">{reason === 'created' ? t('receivers.setup.createdTitle', { name: device.name }) : t('receivers.setup.rotatedTitle', { name: device.name })}</h2>
      <p class="notice warn" role="alert">
        <strong>{t('receivers.setup.onceTitle')}</strong> {t('receivers.setup.onceText')}
      </p>
      <dl class="receiver-facts">
        <dt>{t('receivers.setup.id')}</dt>
        <dd>
          <code data-testid="receiver-new-id">{device.id}</code>
        </dd>
        <dt>{t('receivers.setup.token')}</dt>
        <dd>
          <code class="receiver-secret" data-testid="receiver-token" lang="en">
            {device.token}
          </code>
          <CopyButton text={device.token} label={t('receivers.setup.copyToken')} testId="copy-token" />
        </dd>
      </dl>
      <h3>{t('receivers.setup.commandTitle')}</h3>
      <p class="small">{t('receivers.setup.commandLead')}</p>
      {setup.error && <ReceiverErrorNotice error={setup.error} />}
      {setup.loading && !setup.data && <p class="muted">{t('app.loading')}</p>}
      {command && setup.data && (
        <>
          <pre class="receiver-command" data-testid="receiver-command" lang="en" translate={false}>
            {command}
          </pre>
          <CopyButton text={command} label={t('receivers.setup.copyCommand')} testId="copy-command" />
          {setup.data.brokerUrl === null && <p class="notice warn small">{t('receivers.setup.brokerUnknownHint')}</p>}
          {usesTls(setup.data) && <p class="muted small">{t('receivers.setup.tlsHint')}</p>}
          <p class="muted small">{t('receivers.setup.playerHint')}</p>
        </>
      )}
      <p class="small">{t('receivers.setup.after')}</p>
      <div class="actions">
        <button type="button" class="primary" data-testid="receiver-credentials-done" onClick={onDone}>
          {t('receivers.setup.done')}
        </button>
      </div>
    </section>
  );
}
