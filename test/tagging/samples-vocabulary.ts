import fs from 'node:fs';
import path from 'node:path';
import { SAMPLES_DIR } from '../helpers/fixtures.js';

export interface Labels {
  colors: string[];
  shapes: string[];
  scenes: string[];
  images: { file: string; scene_tags: string[]; objects: { color: string; shape: string }[] }[];
}

export const labels = JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, 'labels.json'), 'utf8')) as Labels;

/** Prompts for tiny-clip's scenes, in the words of its training captions (its README lists them). */
const SCENE_PROMPTS: Record<string, string> = {
  sunset: 'a sunset; a photo of a sunset; sunset over the beach',
  beach: 'a beach; a photo of a beach; a sandy beach',
  forest: 'a forest; a photo of a forest; the woods',
  night: 'the night sky; a starry night; stars at night',
  snow: 'snow; a snowy landscape; a winter landscape',
  city: 'a city skyline; a photo of a city; buildings',
  ocean: 'the ocean; the sea; ocean waves',
};

export type Kind = 'scene' | 'shape' | 'color+shape';

/**
 * A vocabulary file of tiny-clip's concepts, written as a user would: scenes, shapes, and every colour +
 * shape pair (77 of them, most absent from the samples, so false positives on them count too). Shapes use the
 * default prompt templates; scenes and pairs give their own prompts. Built from the concept lists only.
 */
export function samplesVocabulary(): { text: string; kindOf: Map<string, Kind> } {
  const lines: string[] = [];
  const kindOf = new Map<string, Kind>();
  for (const scene of labels.scenes) {
    lines.push(`Scene > ${scene}: ${SCENE_PROMPTS[scene] ?? `a photo of ${scene}`}`);
    kindOf.set(`Scene > ${scene}`, 'scene');
  }
  for (const shape of labels.shapes) {
    lines.push(`Shape > ${shape}`);
    kindOf.set(`Shape > ${shape}`, 'shape');
  }
  for (const color of labels.colors) {
    for (const shape of labels.shapes) {
      lines.push(`Object > ${color} ${shape}: a ${color} ${shape}; a photo of a ${color} ${shape}; ${color} ${shape}`);
      kindOf.set(`Object > ${color} ${shape}`, 'color+shape');
    }
  }
  return { text: `${lines.join('\n')}\n`, kindOf };
}

/** Whether a sample truly shows the tag, from labels.json. */
export function truth(file: string, key: string): boolean {
  const image = labels.images.find((i) => i.file === file)!;
  const [group, name] = key.split(' > ') as [string, string];
  if (group === 'Scene') return image.scene_tags.includes(name);
  if (group === 'Shape') return image.objects.some((o) => o.shape === name);
  const [color, shape] = name.split(' ');
  return image.objects.some((o) => o.color === color && o.shape === shape);
}
