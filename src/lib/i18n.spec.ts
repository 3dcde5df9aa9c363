import { describe, expect, it } from 'vitest';
import { interfaceLocale } from './i18n.ts';

describe('interfaceLocale', () => {
	it('accepts the interface languages in any case and with a region', () => {
		expect(interfaceLocale('es')).toBe('es');
		expect(interfaceLocale('ES-mx')).toBe('es');
		expect(interfaceLocale('en_GB')).toBe('en');
	});

	it('has no answer for other or missing languages (the caller falls back)', () => {
		expect(interfaceLocale('fr')).toBeUndefined();
		expect(interfaceLocale('')).toBeUndefined();
		expect(interfaceLocale(null)).toBeUndefined();
		expect(interfaceLocale('es; DROP')).toBeUndefined();
	});
});
