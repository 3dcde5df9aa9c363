import { describe, expect, it } from 'vitest';
import { fileSlug } from './download.ts';

describe('file names', () => {
	it('keeps letters and digits, drops accents and punctuation', () => {
		expect(fileSlug('Pacientes atendidos en <4 horas (%)')).toBe('pacientes-atendidos-en-4-horas');
		expect(fileSlug('Días de reparación')).toBe('dias-de-reparacion');
		expect(fileSlug('../../etc/passwd')).toBe('etcpasswd');
		expect(fileSlug('¿?', 'indicator')).toBe('indicator');
		expect(fileSlug('x'.repeat(100))).toHaveLength(60);
	});
});
