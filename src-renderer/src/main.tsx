import './zod-jitless';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
// no StrictMode: its double-run effects would open (and dispose) a second event stream in development
createRoot(root).render(<App />);
