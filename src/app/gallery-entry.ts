// A video as the gallery keeps it: what the worker returned about it (poster included), with an
// id and a date. Defined by the page, which makes and shows it; the store only keeps it.
import type { GenerateResult } from '../worker/api';
import type { StoredVideo } from '../store/gallery';

export interface GalleryEntry extends StoredVideo, Pick<GenerateResult, 'video' | 'mimeType' | 'width' | 'height' | 'frameCount' | 'fps' | 'settings' | 'poster' | 'contentCredentials'> {}
