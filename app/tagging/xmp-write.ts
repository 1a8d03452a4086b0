import fs from 'node:fs';
import path from 'node:path';
import { toFsPath } from '../util/fs-names.js';

/** Marks sidecars Shoebox wrote: only those are ever rewritten (see writeSidecar). */
export const CREATOR_TOOL = 'Shoebox';

/**
 * Sidecar names for a photo: Lightroom's `IMG_1.xmp` (the extension replaced) first, which is the one
 * Shoebox writes, then darktable's `IMG_1.jpg.xmp`, which is only read.
 */
export function sidecarPaths(photoPath: string): string[] {
  const parsed = path.parse(photoPath);
  return [path.join(parsed.dir, `${parsed.name}.xmp`), `${photoPath}.xmp`];
}

export type SidecarOutcome = 'written' | 'unchanged' | 'foreign';

/**
 * Writes a photo's tags to its `.xmp` sidecar as `dc:subject` (every name, with the groups above it, as
 * Lightroom exports them) and `lr:hierarchicalSubject` ("Nature|Beach"). The photo itself is never touched.
 * The file is written to a temporary name and renamed, so a reader never sees half a sidecar. A sidecar that
 * another program wrote (Lightroom keeps develop settings there) is left alone: 'foreign'.
 */
export function writeSidecar(photoPath: string, tagPaths: readonly (readonly string[])[]): SidecarOutcome {
  const target = sidecarPaths(photoPath)[0]!;
  const xml = sidecarXml(tagPaths);
  // Paths in their exact string form, the sidecar's name made of the photo's bytes (see [Note: file names that are not UTF-8]).
  if (fs.existsSync(toFsPath(target))) {
    const existing = fs.readFileSync(toFsPath(target), 'utf8');
    if (existing === xml) return 'unchanged';
    if (!existing.includes(`xmp:CreatorTool="${CREATOR_TOOL}"`)) return 'foreign';
  }
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(toFsPath(temp), xml, 'utf8');
  fs.renameSync(toFsPath(temp), toFsPath(target));
  return 'written';
}

export function sidecarXml(tagPaths: readonly (readonly string[])[]): string {
  const subjects = [...new Set(tagPaths.flatMap((p) => p))].sort((a, b) => a.localeCompare(b));
  const hierarchical = [...new Set(tagPaths.map((p) => p.join('|')))].sort((a, b) => a.localeCompare(b));
  const bag = (items: string[]) => items.map((i) => `     <rdf:li>${escapeXml(i)}</rdf:li>`).join('\n');
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="${CREATOR_TOOL}">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmp:CreatorTool="${CREATOR_TOOL}">
   <dc:subject>
    <rdf:Bag>
${bag(subjects)}
    </rdf:Bag>
   </dc:subject>
   <lr:hierarchicalSubject>
    <rdf:Bag>
${bag(hierarchical)}
    </rdf:Bag>
   </lr:hierarchicalSubject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
