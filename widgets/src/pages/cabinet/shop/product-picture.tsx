import ImageOutlinedIcon from '@mui/icons-material/ImageOutlined';
import { Box } from '@mui/material';
import { useState } from 'react';
import { loadableUrl } from './picture-url.js';

/** A product picture at a fixed size; a neutral placeholder when there is none or it does not load. */
export function ProductPicture({ src, size, alt = '' }: { src: string | null; size: number | string; alt?: string }) {
  const [failed, setFailed] = useState(false);
  const url = loadableUrl(src);
  return (
    <Box sx={{ width: size, height: size, flexShrink: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', bgcolor: 'grey.100', borderRadius: 1, overflow: 'hidden' }}>
      {url && !failed ? (
        <Box component="img" src={url} alt={alt} loading="lazy" onError={() => setFailed(true)} sx={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain' }} />
      ) : (
        <ImageOutlinedIcon sx={{ color: 'grey.400', fontSize: typeof size === 'number' ? Math.max(16, size / 2.2) : 40 }} />
      )}
    </Box>
  );
}
