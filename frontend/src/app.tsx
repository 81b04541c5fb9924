import { RouterProvider } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { setNavigationHistory } from './lib/navigation';
import { createAppRouter } from './router';

/** The app: its routes (router.tsx) over the browser's address. */
export function App() {
  const [router] = useState(createAppRouter);
  useEffect(() => {
    setNavigationHistory(router.history);
    return () => {
      setNavigationHistory(null);
    };
  }, [router]);
  return <RouterProvider router={router} />;
}
