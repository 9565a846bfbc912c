export const CONNECTION_STATES = ['connecting', 'connected', 'reconnecting', 'unauthorised'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];
