"""Hand-written forward and backward passes (torch.autograd.Function) equal to torch's layers."""
