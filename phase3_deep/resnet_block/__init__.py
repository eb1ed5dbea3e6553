"""ResNet BasicBlock and Bottleneck from the hand-written layers, equal to transformers' ResNet."""
