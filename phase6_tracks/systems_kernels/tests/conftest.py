"""Choose Triton's interpreter (no GPU) before any test module imports a library that imports
triton: this folder's tests also run alone and in a copied-out starter."""

from phase6_tracks.systems_kernels.interpreter import use_interpreter_without_gpu

use_interpreter_without_gpu()
