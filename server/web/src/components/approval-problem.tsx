/** A refused decision (on a broadcast or an offer) said plainly, with what to do next. */
import type { ApiError } from '../api.js';
import { useT } from '../i18n/index.js';
import { decisionProblem } from '../lib/approval-errors.js';

export function DecisionError({ error }: { error: ApiError }) {
  const t = useT();
  const problem = decisionProblem(error);
  const text = problem === 'other' || problem === 'invalid' ? t('app.error', { message: error.message }) : problem === 'network' ? t('app.networkError') : t(`approvals.problem.${problem}`);
  return (
    <p class="notice error" role="alert" data-testid="approval-error" data-code={error.code}>
      {text}
    </p>
  );
}
