import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { I18nProvider } from './lib/i18n.js';
import { NoticeProvider } from './lib/notice.js';
import './styles.css';

// Local replica: data is fresh by construction, so no background refetch storms.
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: false, refetchOnWindowFocus: false } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <NoticeProvider>
          <App />
        </NoticeProvider>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
