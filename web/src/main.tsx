import './mantine-styles';
import './styles.css';

import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { RouterProvider } from 'react-router/dom';
import { isApiError } from './api/client';
import { createRouter } from './App';
import { initI18n } from './i18n';
import { cssVariablesResolver, theme } from './theme';

// The UI language's texts arrive before the first render (no flash of German for a French browser).
const i18n = await initI18n();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Retry once for network failures and 5xx only; 4xx answers are final.
      retry: (failureCount, error) => failureCount < 1 && isApiError(error) && error.isUnexpected,
      refetchOnWindowFocus: false,
    },
    mutations: { retry: false },
  },
});

const router = createRouter();

const container = document.getElementById('root');
if (!container) throw new Error('Missing #root element');

createRoot(container).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} forceColorScheme="light">
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  </StrictMode>,
);
