// The photos module's public surface: upload, attach to an owner, view through signed links, erase.
export { default as photoRoutes } from './routes'
export {
  type PhotoOwner,
  type PhotoRow,
  type PhotoService,
  photoService,
  registerPhotoJobs,
  releasePhotos,
} from './service'
