"""One feature pipeline in plain Python, NumPy, pandas, polars and pyarrow; plus asyncio."""
