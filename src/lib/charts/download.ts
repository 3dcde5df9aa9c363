/** Downloads started from the browser: the chart as a PNG, a table as CSV. */

/**
 * The chart's pixels on a white background (the canvas itself is transparent, which shows as
 * black or a checkerboard in many image viewers and slides).
 */
export function pngDataUrl(canvas: HTMLCanvasElement): string {
	const out = document.createElement('canvas');
	out.width = canvas.width;
	out.height = canvas.height;
	const ctx = out.getContext('2d');
	if (!ctx) return canvas.toDataURL('image/png');
	ctx.fillStyle = '#ffffff';
	ctx.fillRect(0, 0, out.width, out.height);
	ctx.drawImage(canvas, 0, 0);
	return out.toDataURL('image/png');
}

export function downloadUrl(url: string, fileName: string): void {
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	a.rel = 'noopener';
	document.body.append(a);
	a.click();
	a.remove();
}

export function downloadText(
	text: string,
	fileName: string,
	type = 'text/csv;charset=utf-8'
): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	downloadUrl(url, fileName);
	// The click has started the download; the object URL is no longer needed once it is read.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a title: letters, digits and dashes, at most 60 characters. */
export function fileSlug(title: string, fallback = 'chart'): string {
	return (
		title
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/[^\w\s-]/g, '')
			.trim()
			.replace(/[\s_]+/g, '-')
			.replace(/-+/g, '-')
			.toLowerCase()
			.slice(0, 60)
			.replace(/-$/, '') || fallback
	);
}
