export { Personalizer } from './personalizer.js';
export { ShelfwiseError } from './errors.js';
