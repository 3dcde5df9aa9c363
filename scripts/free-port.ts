/** Free loopback ports for test and benchmark servers. */
import { createServer } from 'node:net';

const handedOut = new Set<number>();

/**
 * A port that is free now and was not handed out before in this process: the OS may offer the same
 * ephemeral port twice in a row once the probe socket is closed.
 */
export async function freePort(): Promise<number> {
	for (;;) {
		const port = await new Promise<number>((resolve, reject) => {
			const s = createServer();
			s.once('error', reject);
			s.listen(0, '127.0.0.1', () => {
				const address = s.address();
				const p = typeof address === 'object' && address ? address.port : 0;
				s.close(() => resolve(p));
			});
		});
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}
