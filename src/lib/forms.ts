import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance` callback for every form: after the server answers, move focus to the first field
 * the server marked invalid (or the form's message) so keyboard and screen-reader users land on
 * what needs fixing, as they would after a full page load.
 */
export const focusErrors: SubmitFunction = ({ formElement }) => {
	const button = formElement.querySelector<HTMLButtonElement>(
		'button[type="submit"], button:not([type])'
	);
	if (button) button.disabled = true;
	return async ({ update }) => {
		await update();
		if (button) button.disabled = false;
		const target =
			formElement.querySelector<HTMLElement>('[aria-invalid="true"]') ??
			formElement.querySelector<HTMLElement>('.notice');
		target?.focus();
	};
};
