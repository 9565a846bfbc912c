import { useEffect, useState } from 'react';

/** Seconds since `startedAt`, ticking locally so the card does not wait for the next status event. */
export function useUptime(startedAt: number | null, serverUptime: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [startedAt]);
  if (startedAt === null) return serverUptime;
  return Math.max(serverUptime, Math.floor((now - startedAt) / 1000));
}
