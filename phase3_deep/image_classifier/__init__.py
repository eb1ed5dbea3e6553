"""An image classifier on custom folders: loader, augmentations, CNN, transfer learning."""
