// The page: the list of subscriptions, or one subscription with every change it allows.
import {useEffect, useReducer} from 'preact/hooks';

import * as api from './api';
import type {Tools} from './context';
import {Detail} from './Detail';
import {List} from './List';
import {initialState, problemKey, reduce, type Event} from './state';
import type {Action, Fields} from './types';

type Props = {transport: api.Transport; tools: Tools};

export function App({transport, tools}: Props) {
  const [state, dispatch] = useReducer(reduce, initialState);
  const {t} = tools;
  const fail = (error: unknown) =>
    dispatch({
      type: 'failed',
      problem: error instanceof api.ProblemError ? error.problem : {status: 0, code: 'generic'},
    });
  const run = (load: () => Promise<Event>) => load().then(dispatch, fail);

  const view = state.view;
  useEffect(() => {
    if (view.kind === 'list') {
      run(async () => ({type: 'loaded-list', overview: await api.listSubscriptions(transport)}));
    } else {
      run(async () => ({
        type: 'loaded-detail',
        detail: await api.showSubscription(transport, view.id),
      }));
    }
  }, [view.kind, view.kind === 'detail' ? view.id : 0]);

  const perform = (action: Action, fields: Fields = {}) => {
    if (view.kind !== 'detail' || state.pending) return;
    dispatch({type: 'sent', action});
    run(async () => {
      const result = await api.act(transport, view.id, action, fields);
      // The server may name a more precise message ("flash.change_address_all", with a count).
      const key = result.message?.startsWith('flash.') ? result.message.slice(6) : action;
      return {type: 'acted', detail: result, message: key, params: result.messageParams};
    });
  };

  const banner = state.problem ? (
    <s-banner tone="critical" heading={t(problemKey(state.problem))}>
      {state.problem.code === 'shopify_user_error' && state.problem.detail ? (
        <s-text>{state.problem.detail}</s-text>
      ) : null}
    </s-banner>
  ) : null;

  if (view.kind === 'detail') {
    const detail = state.detail?.subscription.id === view.id ? state.detail : null;
    return (
      <s-page heading={t('detail.heading')}>
        <s-button
          slot="breadcrumb-actions"
          accessibilityLabel={t('detail.back')}
          onClick={() => dispatch({type: 'open-list'})}
        >
          {t('detail.back')}
        </s-button>
        <s-stack gap="base">
          {state.message ? (
            <s-banner tone="success"
              heading={t(`done.${state.message}`, state.messageParams ?? {})} />
          ) : null}
          {banner}
          {detail ? (
            <Detail detail={detail} tools={tools} pending={state.pending}
              swapOptions={(line) => api.swapOptions(transport, view.id, line)}
              problem={state.problem} perform={perform}
              loadForm={(country) => api.addressForm(transport, country)} />
          ) : state.loading ? (
            <s-spinner accessibilityLabel={t('loading')} />
          ) : null}
        </s-stack>
      </s-page>
    );
  }
  return (
    <s-page heading={t('list.heading')}>
      <s-stack gap="base">
        {banner}
        {state.overview ? (
          <List overview={state.overview} tools={tools}
            open={(id) => dispatch({type: 'open-detail', id})} />
        ) : state.loading ? (
          <s-spinner accessibilityLabel={t('loading')} />
        ) : null}
      </s-stack>
    </s-page>
  );
}
