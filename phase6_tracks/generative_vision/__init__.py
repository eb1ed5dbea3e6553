"""Generative vision: DDPM/DDIM noise schedules and reverse steps written here vs diffusers, a
tiny class-conditional DDPM on the 8x8 digits, and a small CLIP with open_clip's loss."""
