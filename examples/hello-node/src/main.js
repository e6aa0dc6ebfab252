import { createServer } from './server.js';

const port = Number(process.env.PORT || 8080);
const server = createServer().listen(port, process.env.HOST || '0.0.0.0', () => {
  console.log(`hello-node listening on ${port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
