import fs from 'node:fs';
import path from 'node:path';
import type { PhotoMarks } from '../catalog/photo-marks.js';
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
 * Lightroom exports them) and `lr:hierarchicalSubject` ("Nature|Beach"), and its marks (see [Note: marks in
 * sidecars]). The photo itself is never touched.
 * The file is written to a temporary name and renamed, so a reader never sees half a sidecar. A sidecar that
 * another program wrote (Lightroom keeps develop settings there) is left alone: 'foreign'.
 */
export function writeSidecar(photoPath: string, tagPaths: readonly (readonly string[])[], marks?: PhotoMarks): SidecarOutcome {
  const target = sidecarPaths(photoPath)[0]!;
  const xml = sidecarXml(tagPaths, marks);
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

/**
 * [Note: marks in sidecars] Stars and the colour label go where Lightroom, Bridge and digiKam read them:
 * `xmp:Rating` (0 stars is left out, as Lightroom does) and `xmp:Label` with Lightroom's default label names
 * ("Red" … "Purple"). Lightroom keeps pick flags in its catalog only and writes a reject as `xmp:Rating="-1"`
 * (the stars of a rejected photo stay in Shoebox's catalog); a pick has no Lightroom field, so both flags
 * also go to digiKam's `digiKam:PickLabel` (3 accepted, 1 rejected), which digiKam reads and we read back,
 * and a pick to Adobe's own `xmpDM:good="True"` (the XMP Dynamic Media schema's "good" flag, Bridge's pick).
 * Without marks the packet is byte-for-byte what it was before marks existed, so those sidecars stay unchanged.
 */
function marksXml(marks: PhotoMarks | undefined): { namespaces: string; attributes: string } {
  const attributes: string[] = [];
  const rating = marks?.flag === 'reject' ? -1 : (marks?.rating ?? 0);
  if (rating !== 0) attributes.push(`xmp:Rating="${rating}"`);
  if (marks?.label) attributes.push(`xmp:Label="${marks.label[0]!.toUpperCase()}${marks.label.slice(1)}"`);
  if (marks?.flag) attributes.push(`digiKam:PickLabel="${marks.flag === 'pick' ? 3 : 1}"`);
  if (marks?.flag === 'pick') attributes.push('xmpDM:good="True"');
  return {
    namespaces:
      (marks?.flag ? '\n    xmlns:digiKam="http://www.digikam.org/ns/1.0/"' : '') + (marks?.flag === 'pick' ? '\n    xmlns:xmpDM="http://ns.adobe.com/xmp/1.0/DynamicMedia/"' : ''),
    attributes: attributes.map((a) => `\n    ${a}`).join(''),
  };
}

export function sidecarXml(tagPaths: readonly (readonly string[])[], marks?: PhotoMarks): string {
  const marked = marksXml(marks);
  const subjects = [...new Set(tagPaths.flatMap((p) => p))].sort((a, b) => a.localeCompare(b));
  const hierarchical = [...new Set(tagPaths.map((p) => p.join('|')))].sort((a, b) => a.localeCompare(b));
  // An empty bag is left out (exiftool warns about one): a photo with marks but no tags gets no subject fields.
  const bag = (field: string, items: string[]) =>
    items.length === 0 ? '' : `\n   <${field}>\n    <rdf:Bag>\n${items.map((i) => `     <rdf:li>${escapeXml(i)}</rdf:li>`).join('\n')}\n    </rdf:Bag>\n   </${field}>`;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="${CREATOR_TOOL}">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"${marked.namespaces}
    xmp:CreatorTool="${CREATOR_TOOL}"${marked.attributes}>${bag('dc:subject', subjects)}${bag('lr:hierarchicalSubject', hierarchical)}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
