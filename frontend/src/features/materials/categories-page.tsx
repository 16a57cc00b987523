import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { useSession } from "@/api/provider";
import { FormLevelError, SelectField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { FormActions } from "@/components/form-actions";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { canManageInventory, useCategories, useCreateCategory, useUpdateCategory, type Category, type CategoryFields } from "./api";
import { categoryTree, withDescendants } from "./category-tree";
import { SupplierSection } from "./supplier-section";
import "./materials.css";

/** The category tree and the suppliers; managers create and change both. */
export function CategoriesPage() {
  const manager = canManageInventory(useSession()?.user.role);
  return (
    <Page
      title="Categories & suppliers"
      actions={
        <Link to="/inventory" className="button">
          Back to inventory
        </Link>
      }
    >
      <div className="inventory-columns">
        <section className="card" aria-labelledby="categories-title">
          <h2 id="categories-title">Categories</h2>
          <CategorySection manager={manager} />
        </section>
        <section className="card" aria-labelledby="suppliers-title">
          <h2 id="suppliers-title">Suppliers</h2>
          <SupplierSection manager={manager} />
        </section>
      </div>
    </Page>
  );
}

/** Which form is open: none, a new category, or the one being edited. */
type Editing = null | "new" | Category;

function CategorySection({ manager }: { manager: boolean }) {
  const categories = useCategories();
  const [editing, setEditing] = useState<Editing>(null);
  return (
    <>
      <QueryState query={categories} isEmpty={(list) => list.length === 0} empty="No categories yet.">
        {(list) => (
          <ul className="category-tree" data-testid="category-tree">
            {categoryTree(list).map((c) => (
              <li key={c.id} style={{ paddingLeft: `${(c.level - 1) * 1.5}rem` }} data-level={c.level}>
                <span className="swatch" style={{ background: c.color ?? "transparent" }} aria-hidden="true" />
                <span>
                  {c.name} <code className="muted">{c.code}</code>
                </span>
                {manager && (
                  <span className="row-actions">
                    <button type="button" className="button" onClick={() => setEditing(c)} aria-label={`Edit category ${c.name}`}>
                      Edit
                    </button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      {manager && editing === null && (
        <div className="inline-form">
          <button type="button" className="button" onClick={() => setEditing("new")}>
            New category
          </button>
        </div>
      )}
      {manager && editing !== null && (
        <CategoryForm key={editing === "new" ? "new" : editing.id} category={editing === "new" ? null : editing} all={categories.data ?? []} onDone={() => setEditing(null)} />
      )}
    </>
  );
}

/** Create (`category` null) or change a category: code, name, parent, colour. */
function CategoryForm({ category, all, onDone }: { category: Category | null; all: readonly Category[]; onDone: () => void }) {
  const create = useCreateCategory();
  const update = useUpdateCategory();
  const mutation = category ? update : create;
  const [code, setCode] = useState(category?.code ?? "");
  const [name, setName] = useState(category?.name ?? "");
  const [parent, setParent] = useState(category?.parent_id ?? "");
  const [color, setColor] = useState(category?.color ?? "");
  const errors = fieldErrors(mutation.error);
  // A category cannot move under itself or one of its own subcategories.
  const blocked = category ? withDescendants(all, category.id) : new Set<string>();
  const parents = categoryTree(all).filter((c) => !blocked.has(c.id));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: CategoryFields = { code: code.trim(), name: name.trim(), parent_id: parent, color: color.trim() };
    if (category) update.mutate({ id: category.id, body }, { onSuccess: onDone });
    else create.mutate({ ...body, code: code.trim(), name: name.trim() }, { onSuccess: onDone });
  };

  return (
    <form className="stack inline-form" onSubmit={submit} noValidate aria-labelledby="category-form-title">
      <h3 id="category-form-title">{category ? `Edit ${category.name}` : "New category"}</h3>
      <div className="row">
        <TextField label="Code" required maxLength={20} value={code} onChange={(e) => setCode(e.target.value)} errors={errors.code} hint="Letters, digits, _ or -" />
        <TextField label="Name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} errors={errors.name} />
      </div>
      <div className="row">
        <SelectField
          label="Parent"
          value={parent}
          onChange={(e) => setParent(e.target.value)}
          errors={errors.parent_id}
          options={[["", "None (a top-level category)"], ...parents.map((c) => [c.id, `${"\u2003".repeat(c.level - 1)}${c.name}`] as const)]}
        />
        <TextField label="Colour" placeholder="#1a62d6" maxLength={7} value={color} onChange={(e) => setColor(e.target.value)} errors={errors.color} hint="#rrggbb, or empty for none" />
      </div>
      <FormLevelError error={mutation.error} shown={["code", "name", "parent_id", "color"]} />
      <FormActions submitLabel={category ? "Save category" : "Create category"} pending={mutation.isPending} onCancel={onDone} />
    </form>
  );
}
