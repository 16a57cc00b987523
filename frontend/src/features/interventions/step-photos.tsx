import { useRef } from "react";
import { FormLevelError } from "@/components/field";
import { QueryState } from "@/components/states";
import { useDeletePhoto, usePhotoUrl, usePhotos, useUploadPhoto, type Photo, type Step } from "./api";

function Thumbnail({ interventionId, photo, onDelete }: { interventionId: string; photo: Photo; onDelete?: () => void }) {
  const url = usePhotoUrl(interventionId, photo.id);
  return (
    <li className="photo">
      {url.data ? <img src={url.data} alt={photo.file_name ?? "Step photo"} width={120} /> : <span className="muted">Loading…</span>}
      {onDelete && (
        <button type="button" className="button" onClick={onDelete}>
          Delete
        </button>
      )}
    </li>
  );
}

/** A step's photos with previews, the limits, and (while the step may change) upload and delete. */
export function StepPhotos({ interventionId, step, canChange }: { interventionId: string; step: Step; canChange: boolean }) {
  const photos = usePhotos(interventionId, step.id);
  const upload = useUploadPhoto(interventionId, step.id);
  const remove = useDeletePhoto(interventionId);
  const input = useRef<HTMLInputElement>(null);
  const full = step.photo_count >= step.max_photos_allowed;
  return (
    <div className="stack">
      <p className="muted" data-testid="photo-count">
        {step.photo_count} of {step.max_photos_allowed} photos
        {step.requires_photos ? ` (at least ${step.min_photos_required} before this step completes)` : ""}
      </p>
      <QueryState query={photos} isEmpty={(list) => list.length === 0} empty="No photos yet.">
        {(list) => (
          <ul className="photos">
            {list.map((photo) => (
              <Thumbnail key={photo.id} interventionId={interventionId} photo={photo} onDelete={canChange ? () => remove.mutate(photo.id) : undefined} />
            ))}
          </ul>
        )}
      </QueryState>
      {canChange && (
        <label className="field">
          <span>Add a photo (JPEG, PNG or WebP)</span>
          <input
            ref={input}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            disabled={full || upload.isPending}
            data-testid="photo-input"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) upload.mutate(file, { onSettled: () => input.current && (input.current.value = "") });
            }}
          />
        </label>
      )}
      <FormLevelError error={upload.error ?? remove.error} shown={[]} />
    </div>
  );
}
