import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../core/errors.js';
import type { ImageInput, ImageSlot } from '../core/request-types.js';

/** Reads the image files named on the command line; validation happens in the core. */
export async function readLocalImages(
  files: Partial<Record<ImageSlot, string>>,
): Promise<Partial<Record<ImageSlot, ImageInput>>> {
  const images: Partial<Record<ImageSlot, ImageInput>> = {};
  for (const [slot, file] of Object.entries(files) as [ImageSlot, string | undefined][]) {
    if (file) images[slot] = await readLocalFile(file);
  }
  return images;
}

/** Reads reference files (images, clips, audio) in the order given; the core reads their kind. */
export function readLocalFiles(files: string[]): Promise<ImageInput[]> {
  return Promise.all(files.map(readLocalFile));
}

async function readLocalFile(file: string): Promise<ImageInput> {
  try {
    return { bytes: await readFile(file), name: basename(file) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError({
      code: 'bad_input',
      textKey: 'local_image',
      params: { file, missing: code === 'ENOENT' ? 1 : 0, error: code ?? 'error' },
    });
  }
}
